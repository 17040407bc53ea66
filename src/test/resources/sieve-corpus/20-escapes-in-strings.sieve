require "fileinto";
if header :contains "subject" "say \"hi\" \\ there" { fileinto "Quoted"; }
