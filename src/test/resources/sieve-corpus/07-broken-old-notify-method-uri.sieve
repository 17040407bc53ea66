require ["notify"];
notify :method "mailto:boss@corp.example" :message "New mail arrived";
keep;
