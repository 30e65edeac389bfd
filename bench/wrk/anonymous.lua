-- POST /oauth2/token, grantType anonymous: a new visitor (two new tokens stored) per request.
require "common"
post_json('{"grantType":"anonymous","clientId":"' .. env("WIX_CLIENT_ID") .. '"}')
