package com.mailgov.security;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

@ApplicationScoped
public class LocalUserRepository implements PanacheRepositoryBase<LocalUser, Long> {

    public Optional<LocalUser> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
