-- POST /_api/iam/authentication/v2/login with one registered member's email and password
-- (each request verifies the password's argon2id hash), as a visitor (identity calls need one's token).
require "common"
wrk.headers["Authorization"] = env("WIX_VISITOR_TOKEN")
post_json('{"loginId":{"email":"' .. env("WIX_EMAIL") .. '"},"password":"' .. env("WIX_PASSWORD") .. '"}')
