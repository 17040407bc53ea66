require ["vacation", "vacation-seconds"];
vacation :seconds 30 :subject "Auto" "Back soon.";
