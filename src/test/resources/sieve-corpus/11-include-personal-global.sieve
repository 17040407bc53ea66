require ["include"];
include :personal "vacation-old";
include :global "spam-rules";
