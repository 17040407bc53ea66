require ["variables"];
if header :matches "from" "*" {
  set "sender" "${1}";
  redirect "${sender}";
}
