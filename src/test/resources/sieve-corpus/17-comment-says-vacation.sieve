# vacation was switched off in 2023; do not add a vacation here
require "fileinto";
if header :contains "subject" "vacation" { fileinto "HR"; }
