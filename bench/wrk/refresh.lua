-- POST /oauth2/token, grantType refresh_token with one visitor's refresh token (no rotation):
-- a new access token stored per request.
require "common"
post_json('{"grantType":"refresh_token","clientId":"' .. env("WIX_CLIENT_ID") ..
  '","refreshToken":"' .. env("WIX_REFRESH_TOKEN") .. '"}')
