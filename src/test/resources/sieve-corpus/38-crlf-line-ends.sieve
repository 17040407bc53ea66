require ["vacation"];
vacation :days 2 text:
Away.
.
;
