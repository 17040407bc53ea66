require "vacation";
vacation :seconds 10 "fast";
