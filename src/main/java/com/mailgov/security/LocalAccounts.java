package com.mailgov.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;
import java.util.Set;

/** Reads local accounts for authentication (outside any request's transaction). */
@ApplicationScoped
public class LocalAccounts {

    @Inject
    LocalUserRepository users;

    @Transactional
    public Optional<Account> find(String username) {
        return users.findByUsername(username)
                .map(u -> new Account(u.username, u.passwordHash, u.roleSet(), u.departmentCode, u.disabledAt == null));
    }

    public record Account(String username, String passwordHash, Set<String> roles, String department, boolean enabled) {
    }
}
