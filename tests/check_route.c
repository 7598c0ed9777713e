/* check_route.c — channel classes to Discord targets from the environment. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "route.h"
#include "check_main.h"

/* A fake environment: NULL-terminated name/value pairs. */
static const char *const *env;

static const char *
get(const char *name)
{
	for (int i = 0; env[i]; i += 2)
		if (strcmp(env[i], name) == 0)
			return env[i + 1];
	return NULL;
}

#define HOOK(id, tok) "https://discord.com/api/webhooks/" id "/" tok

START_TEST(bot_channels_fall_back_to_main)
{
	static const char *const e[] = {
		"DISCORD_BOT_TOKEN", "bot-token-123456",
		"DISCORD_CHANNEL_ID", "100",
		"DISCORD_SYSTEM_KILL_CHANNEL_ID", "200",
		"DISCORD_RALLY_CHANNEL_ID", "", NULL };
	struct routes r;
	char err[256];

	env = e;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), ROUTE_COUNT);
	ck_assert_str_eq(routes_target(&r, ROUTE_MAIN)->name, "channel:100");
	ck_assert_str_eq(routes_target(&r, ROUTE_SYSTEM_KILL)->name, "channel:200");
	ck_assert_str_eq(routes_target(&r, ROUTE_SYSTEM_KILL)->url,
	                 "https://discord.com/api/v10/channels/200/messages");
	/* unset and empty both fall back */
	ck_assert_str_eq(routes_target(&r, ROUTE_CHARACTER_KILL)->name, "channel:100");
	ck_assert_str_eq(routes_target(&r, ROUTE_RALLY)->name, "channel:100");
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.auth, "Authorization: Bot bot-token-123456");
}
END_TEST

START_TEST(webhooks_win_and_use_api_url)
{
	static const char *const e[] = {
		"DISCORD_API_URL", "http://127.0.0.1:9/api/v10/",
		"DISCORD_WEBHOOK_URL", HOOK("111", "mainTOKEN_abcdef"),
		"DISCORD_CHARACTER_KILL_WEBHOOK_URL",
		"https://discordapp.com/api/v10/webhooks/222/charTOKEN-xyz123?thread_id=77",
		"DISCORD_BOT_TOKEN", "bot-token-123456",
		"DISCORD_SYSTEM_CHANNEL_ID", "300", NULL };
	struct routes r;
	char err[256];

	env = e;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), ROUTE_COUNT);
	const struct route_target *m = routes_target(&r, ROUTE_MAIN);
	ck_assert_int_eq(m->kind, TARGET_WEBHOOK);
	ck_assert_str_eq(m->name, "webhook:main");
	ck_assert_str_eq(m->key, "webhook:111");
	ck_assert_str_eq(m->url, "http://127.0.0.1:9/api/v10/webhooks/111/mainTOKEN_abcdef?wait=true");
	const struct route_target *c = routes_target(&r, ROUTE_CHARACTER_KILL);
	ck_assert_str_eq(c->name, "webhook:character_kill");
	ck_assert_str_eq(c->url,
	                 "http://127.0.0.1:9/api/v10/webhooks/222/charTOKEN-xyz123?wait=true&thread_id=77");
	/* a class's own channel beats the main webhook */
	ck_assert_str_eq(routes_target(&r, ROUTE_SYSTEM)->name, "channel:300");
	ck_assert_str_eq(routes_target(&r, ROUTE_SYSTEM_KILL)->name, "webhook:main");
	/* names never carry the token */
	for (int i = 0; i < r.n; i++) {
		ck_assert_ptr_null(strstr(r.t[i].name, "TOKEN"));
		ck_assert_ptr_null(strstr(r.t[i].key, "TOKEN"));
	}
}
END_TEST

START_TEST(errors_name_the_variable_not_the_secret)
{
	static const char *const bad_hook[] = {
		"DISCORD_WEBHOOK_URL", "https://example.com/hooks/secretvalue99", NULL };
	static const char *const no_token[] = { "DISCORD_CHANNEL_ID", "100", NULL };
	static const char *const bad_id[] = {
		"DISCORD_BOT_TOKEN", "bot-token-123456", "DISCORD_CHANNEL_ID", "12ab", NULL };
	static const char *const bad_api[] = {
		"DISCORD_API_URL", "ftp://x", "DISCORD_CHANNEL_ID", "1", NULL };
	struct routes r;
	char err[256];

	env = bad_hook;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "DISCORD_WEBHOOK_URL"));
	ck_assert_ptr_null(strstr(err, "secretvalue99"));
	env = no_token;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "DISCORD_BOT_TOKEN"));
	env = bad_id;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "DISCORD_CHANNEL_ID"));
	env = bad_api;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "DISCORD_API_URL"));
}
END_TEST

START_TEST(nothing_configured)
{
	static const char *const e[] = { NULL };
	static const char *const only_rally[] = {
		"DISCORD_RALLY_WEBHOOK_URL", HOOK("5", "rallyTOKEN123"), NULL };
	struct routes r;
	char err[256];

	env = e;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), 0);
	ck_assert_ptr_null(routes_target(&r, ROUTE_MAIN));
	env = only_rally;
	ck_assert_int_eq(routes_load(&r, get, err, sizeof err), 1);
	ck_assert_ptr_null(routes_target(&r, ROUTE_SYSTEM));
	ck_assert_str_eq(routes_target(&r, ROUTE_RALLY)->name, "webhook:rally");
	ck_assert_str_eq(routes_target(&r, ROUTE_RALLY)->url,
	                 ROUTE_API_DEFAULT "/webhooks/5/rallyTOKEN123?wait=true");
}
END_TEST

START_TEST(webhook_url_shapes)
{
	char id[24], tok[64], th[24];

	ck_assert_int_eq(route_parse_webhook(HOOK("123", "abcDEF-_12"), id, sizeof id,
	                                     tok, sizeof tok, th, sizeof th), 0);
	ck_assert_str_eq(id, "123");
	ck_assert_str_eq(tok, "abcDEF-_12");
	ck_assert_str_eq(th, "");
	ck_assert_int_eq(route_parse_webhook(HOOK("123", "abcDEF-_12") "/", id, sizeof id,
	                                     tok, sizeof tok, th, sizeof th), 0);
	ck_assert_int_eq(route_parse_webhook(HOOK("12x", "abcDEF-_12"), id, sizeof id,
	                                     tok, sizeof tok, th, sizeof th), -1);
	ck_assert_int_eq(route_parse_webhook(HOOK("123", "short"), id, sizeof id,
	                                     tok, sizeof tok, th, sizeof th), -1);
	ck_assert_int_eq(route_parse_webhook(HOOK("123", "abcDEF-_12") "/github", id,
	                                     sizeof id, tok, sizeof tok, th, sizeof th), -1);
	ck_assert_int_eq(route_parse_webhook("discord.com/api/webhooks/1/abcdefghij", id,
	                                     sizeof id, tok, sizeof tok, th, sizeof th), -1);
	ck_assert_int_eq(route_class_from_name("character_kill"), ROUTE_CHARACTER_KILL);
	ck_assert_int_eq(route_class_from_name("nope"), -1);
	ck_assert_str_eq(route_class_name(ROUTE_RALLY), "rally");
}
END_TEST

START_TEST(secrets_are_redacted_in_logs)
{
	static const char *const e[] = {
		"DISCORD_BOT_TOKEN", "MTIz.bot-secret-value",
		"DISCORD_WEBHOOK_URL", HOOK("111", "hookSECRETtoken"), NULL };
	struct routes r;
	char err[256], line[256];

	env = e;
	ck_assert_int_ge(routes_load(&r, get, err, sizeof err), 1);
	snprintf(line, sizeof line, "a MTIz.bot-secret-value b hookSECRETtoken c");
	log_redact(line, sizeof line);
	ck_assert_ptr_null(strstr(line, "bot-secret"));
	ck_assert_ptr_null(strstr(line, "hookSECRETtoken"));
}
END_TEST

CHECK_MAIN("route", bot_channels_fall_back_to_main, webhooks_win_and_use_api_url,
           errors_name_the_variable_not_the_secret, nothing_configured,
           webhook_url_shapes, secrets_are_redacted_in_logs)
