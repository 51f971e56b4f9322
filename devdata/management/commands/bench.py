from django.core.management.base import BaseCommand, CommandError

from devdata import bench


class Command(BaseCommand):
    help = (
        "Benchmark the key pages (p50/p95 server time and SQL queries, as a real user of each role), the quarterly "
        "return and its PDF, and peak memory, against the current database (left unchanged). "
        "--compare-scale runs it against a 1%% and a county-scale PostgreSQL database and prints the growth ratios."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument("--warmups", type=int, default=3, help="Untimed requests per page first (default 3).")
        parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each page's slowest queries.")
        parser.add_argument("--skip-return", action="store_true", help="Do not time the quarterly return and PDF.")
        parser.add_argument(
            "--return-repeats",
            type=int,
            default=1,
            help="Time the quarterly return and its PDF this many times and report the median (default 1).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as one line of JSON.")
        parser.add_argument(
            "--compare-scale",
            action="store_true",
            help="Bench a 1%% and a 100%% county-scale database (each in a child process) and print the ratios.",
        )
        parser.add_argument("--small-db", help="DATABASE_URL of the 1%% database (default …/ecfs_bench_small).")
        parser.add_argument("--large-db", help="DATABASE_URL of the county database (default …/ecfs_bench_county).")
        parser.add_argument(
            "--seed-missing",
            action="store_true",
            help="With --compare-scale: create, migrate and seed a database that does not exist yet "
            "(the county one takes about ten minutes).",
        )

    def handle(self, *args, **options):
        if options["repeats"] < 1 or options["warmups"] < 0 or options["return_repeats"] < 1:
            raise CommandError("--repeats and --return-repeats must be at least 1 and --warmups at least 0.")
        if options["compare_scale"]:
            return self.compare(options)
        try:
            result = bench.run_bench(
                repeats=options["repeats"],
                warmups=options["warmups"],
                explain=options["explain"],
                with_return=not options["skip_return"],
                return_repeats=options["return_repeats"],
            )
        except LookupError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(result.to_json())
            self.fail_unless_every_page_answered(result.failures)
            return
        for line in bench.format_result(result):
            self.stdout.write(line)
        if options["explain"]:
            for line in bench.format_slow(result):
                self.stdout.write(line)
        self.stdout.write("")
        over = result.over_target
        self.stdout.write(
            f"bench: {len(over)} page(s) over their p95 target" + (": " + "; ".join(over) if over else "")
        )
        self.stdout.write(
            f"bench: worst p95 {result.worst_p95:.1f} ms over {len(result.pages)} pages, "
            "worst growth ratio n/a (run --compare-scale for it)"
        )
        self.fail_unless_every_page_answered(result.failures)

    def fail_unless_every_page_answered(self, failures: list[str]) -> None:
        """A page measured as a redirect or an error page is not a measurement: exit non-zero, naming it."""
        if failures:
            raise CommandError(
                f"bench: {len(failures)} page(s) did not answer 200 as their user:\n  " + "\n  ".join(failures)
            )

    def compare(self, options):
        default_small, default_large = bench.default_compare_urls()
        urls = {"small": options["small_db"] or default_small, "large": options["large_db"] or default_large}
        factors = {"small": 0.01, "large": 1.0}
        results = {}
        for key, url in urls.items():
            if not bench.database_exists(url):
                if not options["seed_missing"]:
                    raise CommandError(f"{url} does not exist: create and seed it, or add --seed-missing.")
                bench.create_and_seed(url, factors[key], self.stdout)
            self.stdout.write(f"Benchmarking the {key} database ({bench._database_name(url)})…")
            try:
                results[key] = bench.bench_in_process(url, repeats=options["repeats"], warmups=options["warmups"])
            except RuntimeError as error:
                raise CommandError(str(error)) from error
        for key in ("small", "large"):
            self.stdout.write("")
            self.stdout.write(f"== {key} ==")
            for line in bench.format_result(results[key]):
                self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("== growth (large / small) ==")
        lines, worst = bench.format_comparison(results["small"], results["large"])
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            f"bench: worst p95 {results['large'].worst_p95:.1f} ms over {len(results['large'].pages)} pages, "
            f"worst growth ratio {worst:.2f}"
        )
        self.fail_unless_every_page_answered(
            [f"{key} database: {failure}" for key in ("small", "large") for failure in results[key].failures]
        )
