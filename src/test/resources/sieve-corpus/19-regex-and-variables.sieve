require ["regex", "variables", "fileinto", "mailbox"];
if header :regex "subject" "^\\[([a-z]+)\\]" {
  set :lower "folder" "${1}";
  fileinto :create "Lists/${folder}";
}
