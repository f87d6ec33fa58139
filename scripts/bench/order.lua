-- wrk script: POST /orders for an active user, an amount payment-service accepts.
wrk.method = "POST"
wrk.body = '{"userId":1,"currency":"EUR","items":[{"sku":"BENCH-1","quantity":1,"unitPrice":9.90}]}'
wrk.headers["Content-Type"] = "application/json"
