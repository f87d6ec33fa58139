-- Each status change (PUT /users/{id}/status) increments it, and user.status-changed carries it: order-service's user
-- cache knows from it whether a cached answer is older than the last status it has heard of.
alter table users add column status_version bigint not null default 0;
