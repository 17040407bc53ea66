require "vacation";
vacation :days 3 :subject "Out of office" text:
Hello,

I am away until Monday.
..this line starts with a dot
.
;
