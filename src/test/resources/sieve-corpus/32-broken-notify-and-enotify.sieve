require ["notify", "enotify"];
keep;
