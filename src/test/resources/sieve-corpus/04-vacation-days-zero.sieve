require "vacation";
vacation :days 0 "I answer every message.";
