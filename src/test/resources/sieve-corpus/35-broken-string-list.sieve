require ["fileinto" "vacation"];
keep;
