require ["vacation", "copy", "reject"];
if header :contains "to" "old-address@corp.example" {
  reject "This address is no longer used.";
  stop;
}
redirect :copy "archive@corp.example";
vacation :days 7 "Away.";
