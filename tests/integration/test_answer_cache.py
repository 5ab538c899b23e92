"""Kept answers (actors/answer_cache.hpp) against the real binary: the same question asked again
is answered from the cache with the same bytes, and nothing an answer can see — an ingest, a
group's members, the registry's ANs, a plan change, the date — ever leaves a stale answer
behind. `--accounts.answer-cache-mib=0` keeps none."""

import datetime as dt

from cxs_harness import CustomerTestCase, cdr, metric_sum, parse_metrics

DAY = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))


class AnswerCache(CustomerTestCase):

    def cache_counts(self, srv=None):
        samples = parse_metrics((srv or self.srv).metrics())[0]
        return (metric_sum(samples, "cxs_answer_cache_total", result="hit"),
                metric_sum(samples, "cxs_answer_cache_total", result="miss"))

    def answer(self, acct, **params):
        return self.assertStatus(self.srv.analytics(acct["id"], "traffic", **params), 200)

    def traffic(self, acct, **params):
        status, _, body = self.srv.analytics(acct["id"], "traffic", raw=True, **params)
        self.assertEqual(status, 200, body[:300])
        return body

    def test_the_same_question_is_answered_again_from_the_cache(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        an = sorted(s.routes(acct["opid"]))[0]
        s.ingest([cdr("ac-1", DAY, an)])
        hits, misses = self.cache_counts()
        first = self.traffic(acct, **{"from": "2026-11-01"})
        second = self.traffic(acct, **{"from": "2026-11-01"})
        self.assertEqual(first, second)
        after_hits, after_misses = self.cache_counts()
        self.assertEqual(after_misses - misses, 1)
        self.assertEqual(after_hits - hits, 1)
        # Another question is its own.
        self.traffic(acct, **{"from": "2026-11-02"})
        self.assertEqual(self.cache_counts()[1] - after_misses, 1)

    def test_an_ingest_is_seen_at_once(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        an = sorted(s.routes(acct["opid"]))[0]
        for n in range(3):
            before = self.answer(acct, **{"from": "2026-11-01"})["totals"]["calls"]
            self.answer(acct, **{"from": "2026-11-01"})  # kept now
            s.ingest([cdr(f"ing-{n}", DAY, an)])
            after = self.answer(acct, **{"from": "2026-11-01"})["totals"]["calls"]
            self.assertEqual(after, before + 1, f"round {n}")

    def test_group_members_registry_and_plan_changes_are_seen_at_once(self):
        s = self.srv
        acct = s.create_account(plan="standard", registered="2026-01-01")
        routes = s.routes(acct["opid"])
        ans = sorted(routes)
        s.ingest([cdr("grp-1", DAY, ans[0]), cdr("grp-2", DAY, ans[1]), cdr("grp-3", DAY, ans[1])])
        c = self.login(acct)
        self.addCleanup(c.logout, strict=False)
        g = self.assertStatus(c.post("/api/groups/an", {"name": "first", "members": [ans[0]]}), 201)
        ask = lambda: self.assertStatus(c.get("/api/analytics/traffic", params={"from": "2026-11-01", "an_group": g["id"]}), 200)
        self.assertEqual(ask()["totals"]["calls"], 1)
        self.assertEqual(ask()["totals"]["calls"], 1)  # kept
        self.assertStatus(c.put(f"/api/groups/an/{g['id']}", {"name": "first", "members": [ans[1]]}), 200)
        self.assertEqual(ask()["totals"]["calls"], 2, "the group's new members, not the kept answer")

        # The registry gives the OPID one more AN: the next answer lists it among the ANs.
        plain = lambda: self.assertStatus(c.get("/api/analytics/traffic", params={"from": "2026-11-01"}), 200)
        before = plain()["filters"]["an"]
        plain()
        reg = s.admin("GET", "/admin/registry")[2]
        entry = next(e for e in reg["opids"] if e["opid"] == acct["opid"])
        entry["ans"].append({"an": "08001112222", "dns": ["0312345678"]})
        self.assertEqual(s.admin("PATCH", "/admin/registry", {"opids": [entry]})[0], 200)
        self.assertEqual(sorted(plain()["filters"]["an"]), sorted(before + ["08001112222"]))

        # A detailed analysis kept on standard is refused at once after the move to free.
        self.assertStatus(c.get("/api/analytics/origin", params={"from": "2026-11-01"}), 200)
        self.assertStatus(c.get("/api/analytics/origin", params={"from": "2026-11-01"}), 200)
        status, _, body = s.admin("POST", f"/admin/accounts/{acct['id']}/plan",
                                  {"plan": "free", "confirm": True})
        self.assertEqual(status, 200, body)
        self.assertStatus(c.get("/api/analytics/origin", params={"from": "2026-11-01"}), 403)

    def test_the_next_day_is_a_new_question(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        first = self.answer(acct)["filters"]["to"]
        self.answer(acct)
        s.advance(86400)
        self.addCleanup(s.advance, -86400)
        self.assertEqual(self.answer(acct)["filters"]["to"],
                         str(dt.date.fromisoformat(first) + dt.timedelta(days=1)))


class AnswerCacheOff(CustomerTestCase):
    server_options = {"extra_args": ["--accounts.answer-cache-mib=0"]}

    def test_nothing_is_kept(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        for _ in range(3):
            s.analytics(acct["id"], "traffic")
        samples = parse_metrics(s.metrics())[0]
        self.assertEqual(metric_sum(samples, "cxs_answer_cache_total", result="hit"), 0)
        self.assertEqual(metric_sum(samples, "cxs_answer_cache_bytes"), 0)
