-- Demo users the README's walkthrough uses: 1 and 2 may order, 3 is blocked.
insert into users (id, name, email, status) values
    (1, 'Alice Martin', 'alice@example.org', 'ACTIVE'),
    (2, 'Bruno Costa', 'bruno@example.org', 'ACTIVE'),
    (3, 'Mallory Black', 'mallory@example.org', 'BLOCKED');
