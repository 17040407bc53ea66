require ["duplicate", "fileinto"];
if duplicate :seconds 3600 { fileinto "Dups"; }
