keep;
require "fileinto";
fileinto "A";
