require ["enotify"];
if header :contains "from" "monitoring" {
  notify :importance "1" :from "tanaka@corp.example" "mailto:oncall@corp.example?subject=Alert";
}
