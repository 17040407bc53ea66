require "fileinto";
/* forgot to close
fileinto "A";
