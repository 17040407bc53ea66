require "vacation";
vacation :days 1 text: # a comment on the text: line
Away.
.
;
