/* check_config_vars.c — the variable tables: lookups, the ignored
 * patterns, secrets, and the "did you mean" hints. */
#include <check.h>
#include <string.h>

#include "config_vars.h"
#include "check_main.h"

START_TEST(known_and_ignored)
{
	ck_assert_ptr_nonnull(config_var_find("DISCORD_CHANNEL_ID"));
	ck_assert_int_eq(config_var_find("MAP_API_KEY")->kind, CV_SECRET);
	ck_assert_ptr_null(config_var_find("LICENSE_KEY"));
	ck_assert_str_eq(config_ignored_find("LICENSE_KEY")->why, "wn needs no license");
	/* patterns: prefix, prefix and suffix */
	ck_assert_ptr_nonnull(config_ignored_find("GUN_SNDBUF"));
	ck_assert_ptr_nonnull(config_ignored_find("HTTP_MAP_RETRY_COUNT"));
	ck_assert_ptr_nonnull(config_ignored_find("WANDERER_MAP_TOKEN"));
	/* a used variable is never "ignored", even when a pattern matches */
	ck_assert_ptr_null(config_ignored_find("WANDERER_KILLS_URL"));
	ck_assert_ptr_null(config_ignored_find("HTTP_MAP_TIMEOUT"));
	ck_assert_ptr_null(config_ignored_find("HTTP_"));
	ck_assert_ptr_null(config_ignored_find("NOPE"));
	for (size_t i = 0; config_var_at(i); i++)
		ck_assert_ptr_null(config_ignored_find(config_var_at(i)->name));
}
END_TEST

START_TEST(secrets)
{
	ck_assert(config_var_is_secret("DISCORD_BOT_TOKEN"));
	ck_assert(config_var_is_secret("DISCORD_RALLY_WEBHOOK_URL"));
	ck_assert(config_var_is_secret("JANICE_API_TOKEN"));
	/* unknown names that look like secrets are treated as secrets */
	ck_assert(config_var_is_secret("LICENSE_KEY"));
	ck_assert(config_var_is_secret("SECRET_KEY_BASE"));
	ck_assert(config_var_is_secret("MY_PASSWORD"));
	ck_assert(!config_var_is_secret("DISCORD_CHANNEL_ID"));
	ck_assert(!config_var_is_secret("MAP_NAME"));
}
END_TEST

START_TEST(did_you_mean)
{
	ck_assert_str_eq(config_var_suggest("DISCORD_CHANEL_ID"), "DISCORD_CHANNEL_ID");
	ck_assert_str_eq(config_var_suggest("discord_channel_id"), "DISCORD_CHANNEL_ID");
	ck_assert_str_eq(config_var_suggest("MAP_APIKEY"), "MAP_API_KEY");
	ck_assert_str_eq(config_var_suggest("KILL_NOTIFICATION_ENABLED"), "KILL_NOTIFICATIONS_ENABLED");
	ck_assert_str_eq(config_var_suggest("LICENCE_KEY"), "LICENSE_KEY");
	ck_assert_ptr_null(config_var_suggest("EDITOR"));
	ck_assert_ptr_null(config_var_suggest("TOTALLY_UNRELATED_NAME"));
	char longname[100];
	memset(longname, 'A', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_ptr_null(config_var_suggest(longname));
}
END_TEST

CHECK_MAIN("config_vars", known_and_ignored, secrets, did_you_mean)
