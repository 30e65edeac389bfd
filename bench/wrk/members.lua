-- GET /members/v1/members/my with a member's access token (Wix sends it bare, no "Bearer ").
require "common"
wrk.method = "GET"
wrk.headers["Authorization"] = env("WIX_MEMBER_TOKEN")
