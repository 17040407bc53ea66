require "vacation";
vacation :weeks 1 "no such tag";
