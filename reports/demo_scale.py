"""Province-scale data for benchmarks and load tests (``seed_demo --scale``).

SCALES gives the sizes; the generator fills them with believable shapes.
"""

SCALES = {
    # name: wards, hamlets, teams, members, households, residents, sessions (a year)
    "ward": dict(
        wards=1, hamlets=10, teams=10, members=50,
        households=3_000, residents=10_000, sessions=30_000,
    ),
    "small": dict(
        wards=10, hamlets=100, teams=100, members=500,
        households=30_000, residents=100_000, sessions=300_000,
    ),
    "province": dict(
        wards=100, hamlets=1_000, teams=1_000, members=5_000,
        households=300_000, residents=1_000_000, sessions=3_000_000,
    ),
}  # fmt: skip

# Logins the scale seed creates (password demo1234), used by the benchmarks.
SCALE_LOGINS = {
    "province": "scale.tinh",  # province official of the seeded province
    "ward": "scale.phuong",  # ward official of the province's first ward
    "leader": "scale.totruong",  # leader of the first ward's first team
    "member": "scale.thanhvien",  # member of that team
}
