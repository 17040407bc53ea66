require "reject";
if size :over 10M {
  reject "Message too large; please use the file server.";
}
