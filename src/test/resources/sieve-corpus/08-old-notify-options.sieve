require "notify";
if header :contains "subject" "urgent" {
  notify :method "mailto" :options "pager@corp.example" :high;
}
