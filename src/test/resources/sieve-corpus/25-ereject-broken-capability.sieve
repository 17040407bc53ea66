require "ereject";
ereject "No.";
