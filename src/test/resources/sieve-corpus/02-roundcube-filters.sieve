require ["fileinto","imap4flags"];
# rule:[Spam]
if header :contains "x-spam-flag" "YES"
{
	fileinto "Junk";
	stop;
}
# rule:[Newsletters]
if anyof (header :contains "list-id" "news.partner.example", address :domain :is "from" "shop.example")
{
	addflag "\\Seen";
	fileinto "Newsletters";
}
