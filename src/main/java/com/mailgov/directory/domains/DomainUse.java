package com.mailgov.directory.domains;

import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;

import java.util.ArrayList;
import java.util.List;

/** Every address a directory object mentions: what ties it to a domain. */
public final class DomainUse {

    private DomainUse() {
    }

    public static List<String> addressesOf(DirectorySpec spec) {
        List<String> out = new ArrayList<>();
        if (spec instanceof MailboxSpec m) {
            out.add(m.address());
        } else if (spec instanceof ForwardSpec f) {
            out.add(f.source());
            if (f.targets() != null) {
                out.addAll(f.targets());
            }
        } else if (spec instanceof MailingListSpec l) {
            out.add(l.address());
        } else if (spec instanceof ListMemberSpec m) {
            out.add(m.list());
            out.add(m.member());
        } else if (spec instanceof ExternalSubscriptionSpec s) {
            out.add(s.mailbox());
            out.add(s.listAddress());
        } else if (spec instanceof AutoreplySpec a) {
            out.add(a.mailbox());
            if (a.addresses() != null) {
                out.addAll(a.addresses());
            }
        }
        return out;
    }
}
