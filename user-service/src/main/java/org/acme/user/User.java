package org.acme.user;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false, unique = true)
    public String email;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public UserStatus status;

    /** Incremented by every change of {@link #status}; {@code user.status-changed} carries it. */
    @Column(name = "status_version", nullable = false)
    public long statusVersion;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static boolean emailTaken(String email) {
        return count("lower(email) = lower(?1)", email) > 0;
    }
}
