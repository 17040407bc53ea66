require ["enotify", "variables"];
if header :matches "reply-to" "*" {
  set "rt" "${1}";
  notify :message "Thanks for your mail" "mailto:${rt}";
}
