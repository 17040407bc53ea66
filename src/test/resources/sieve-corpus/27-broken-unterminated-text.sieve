require "vacation";
vacation :days 1 text:
This never ends
