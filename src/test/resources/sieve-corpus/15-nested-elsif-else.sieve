require ["fileinto", "vacation"];
if address :is "from" "ceo@corp.example" {
  keep;
} elsif allof (not exists "list-id", header :contains "subject" ["見積", "quote"]) {
  if size :under 100K {
    vacation :days 2 "Received your quote request.";
  } else {
    fileinto "Large";
  }
} else {
  fileinto "Other";
}
