require ["copy"];
# rule:[Forward to mobile]
if true
{
	redirect :copy "suzuki.mobile@partner.example";
}
