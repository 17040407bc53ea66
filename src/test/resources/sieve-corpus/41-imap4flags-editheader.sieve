require ["imap4flags", "editheader"];
addheader "X-Checked" "yes";
if header :contains "subject" "[SPAM]" { setflag "\\Seen"; deleteheader "X-Spam"; }
