require "fileinto";
fileinto "A";
autoreply "hello";
