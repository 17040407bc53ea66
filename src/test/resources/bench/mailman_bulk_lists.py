"""Benchmark set-up only: creates many Mailman lists with members in one process and one transaction.

Mailman's REST API creates one list at a time and regenerates the Postfix maps after each (1,000 lists
took 11 minutes); this makes the same lists (settings as mailgov writes them) in seconds and regenerates
the maps once. Run as the Mailman user with the stack's config:
    python3 mailman_bulk_lists.py <mailman.cfg> <list-domain> <member-domain> <first> <count> <mailboxes>
List l is "list<l>@<list-domain>" with members user<(7l+m) % mailboxes>@<member-domain>, m = 0..2.
"""
import sys
from datetime import datetime, timezone

from mailman.core.initialize import initialize

cfg, list_domain, member_domain, first, count, mailboxes = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:7])
initialize(cfg)

from mailman.app.lifecycle import create_list  # noqa: E402 (needs the initialised config)
from mailman.config import config  # noqa: E402
from mailman.interfaces.mailinglist import ReplyToMunging  # noqa: E402
from mailman.interfaces.member import MemberRole  # noqa: E402
from mailman.interfaces.usermanager import IUserManager  # noqa: E402
from mailman.utilities.modules import call_name  # noqa: E402
from zope.component import getUtility  # noqa: E402

incoming = config.mta.incoming
config.push('bulk', '[mta]\nincoming: mailman.mta.null.NullMTA\n')
users = getUtility(IUserManager)
now = datetime.now(timezone.utc).replace(tzinfo=None)
for l in range(first, first + count):
    mlist = create_list('list%d@%s' % (l, list_domain))
    mlist.display_name = 'List %d' % l
    mlist.include_rfc2369_headers = True
    mlist.reply_goes_to_list = ReplyToMunging.no_munging
    for m in range(3):
        email = 'user%d@%s' % ((l * 7 + m) % mailboxes, member_domain)
        address = users.get_address(email) or users.create_address(email)
        address.verified_on = now
        mlist.subscribe(address, MemberRole.member)
config.db.commit()
config.pop('bulk')
call_name(incoming).regenerate()
print('created %d lists' % count)
