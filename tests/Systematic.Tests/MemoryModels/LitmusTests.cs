namespace HighMemConcurrency.Systematic.Tests.MemoryModels;

/// <summary>
/// The classic litmus shapes, each explored exhaustively under every memory model, asserting that the set of
/// reachable outcomes is exactly the expected one. Expected sets: under SC derived by hand (an outcome is reachable
/// iff some interleaving of the program-ordered accesses produces it; the derivation is the comment at each shape);
/// under TSO from the x86-TSO model (Sewell, Sarkar, Owens, Zappa Nardelli, Myreen, "x86-TSO: A Rigorous and Usable
/// Programmer's Model for x86 Multiprocessors", CACM 53(7), 2010): a store may wait in its CPU's FIFO buffer, so a
/// later load of another location passes it, a CPU reads its own buffered stores, stores become visible to all CPUs
/// at once and in each CPU's program order, and mfence (smp_mb) and locked instructions drain the buffer. Under ARM
/// from the Linux kernel memory model: the "Result: Never/Sometimes" line of the kernel's own test of that shape in
/// tools/memory-model/litmus-tests (file named at the shape; read from the torvalds/linux index on 2026-12-07), the
/// relaxed outcome reachable exactly when LKMM says Sometimes, except where the comment says the model is
/// deliberately stronger (LB, S, 2+2W: <see cref="MemoryModel.Arm"/> never orders a load after a later store and
/// appends each store to its location's coherence order when it runs). Shapes LKMM has no file for say how the
/// verdict follows from one it has. The outcome strings are "r0,r1,..." (loads in the order named) followed by final
/// memory values where a shape needs them.
/// </summary>
public sealed class LitmusTests
{
    private static SortedSet<string> Set(params string[] outcomes) => new(outcomes, StringComparer.Ordinal);

    private static void Expect(Func<string> program, SortedSet<string> sc, SortedSet<string> tso, SortedSet<string> arm)
    {
        Assert.Equal(sc, Litmus.Outcomes(MemoryModel.Sc, program));
        Assert.Equal(tso, Litmus.Outcomes(MemoryModel.Tso, program));
        Assert.Equal(arm, Litmus.Outcomes(MemoryModel.Arm, program));
    }

    private static readonly SortedSet<string> TwoBits = Set("0,0", "0,1", "1,0", "1,1");

    // SB (store buffering). P0: x=1; r0=y   P1: y=1; r1=x. SC: whichever store runs first, the other thread's load
    // comes after it, so r0 = r1 = 0 is impossible. TSO: both stores wait in their buffers while both loads read
    // memory: 0,0 is the one relaxation x86 makes (x86-TSO's SB test, "allowed"). ARM: SB+poonceonces, Sometimes;
    // with smp_mb on both sides SB+fencembonceonces, Never.
    private static string Sb(bool mb)
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0, r1 = 0;
        Litmus.Run(
            () => { x.Store(1); if (mb) Sim.MemoryBarrier(); r0 = y.Load(); },
            () => { y.Store(1); if (mb) Sim.MemoryBarrier(); r1 = x.Load(); });
        return Litmus.Show(r0, r1);
    }

    [Fact]
    public void SB_reaches_0_0_under_tso_and_arm() => Expect(() => Sb(mb: false), Set("0,1", "1,0", "1,1"), TwoBits, TwoBits);

    [Fact]
    public void SB_with_smp_mb_on_both_sides_forbids_0_0_under_every_model() =>
        Expect(() => Sb(mb: true), Set("0,1", "1,0", "1,1"), Set("0,1", "1,0", "1,1"), Set("0,1", "1,0", "1,1"));

    // SB with a barrier on one side only still allows 0,0 under TSO: P1's store can wait while P1 loads. ARM (no LKMM
    // file): P1 has no barrier, and a barrier on one side orders nothing the other side sees, so as SB+poonceonces.
    [Fact]
    public void SB_with_one_smp_mb_still_reaches_0_0_under_tso_and_arm()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(
                () => { x.Store(1); Sim.MemoryBarrier(); r0 = y.Load(); },
                () => { y.Store(1); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        }
        Expect(Program, Set("0,1", "1,0", "1,1"), TwoBits, TwoBits);
    }

    // SB with a locked read-modify-write (x86's xchg, the kernel's value-returning atomics) as the store: a full
    // barrier, so 0,0 is forbidden under TSO too. ARM (no LKMM file): value-returning atomics are fully ordered
    // (Documentation/atomic_t.txt), as strong as SB+fencembonceonces' smp_mb: Never.
    [Fact]
    public void SB_with_exchange_stores_forbids_0_0_under_every_model()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(
                () => { x.Exchange(1); r0 = y.Load(); },
                () => { y.Exchange(1); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        }
        Expect(Program, Set("0,1", "1,0", "1,1"), Set("0,1", "1,0", "1,1"), Set("0,1", "1,0", "1,1"));
    }

    // SB+rfi: each CPU reads its own store back before the other's location. The own read is forwarded from the
    // buffer (always 1); the other read may still pass the store: r1 = r3 = 0 under TSO (x86-TSO's n6-style test).
    // ARM: SB+rfionceonce-poonceonces, Sometimes.
    [Fact]
    public void SB_with_own_reads_forwards_from_the_buffer()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0, r2 = 0, r3 = 0;
            Litmus.Run(
                () => { x.Store(1); r0 = x.Load(); r1 = y.Load(); },
                () => { y.Store(1); r2 = y.Load(); r3 = x.Load(); });
            return Litmus.Show(r0, r1, r2, r3);
        }
        var relaxed = Set("1,0,1,0", "1,0,1,1", "1,1,1,0", "1,1,1,1");
        Expect(Program, Set("1,0,1,1", "1,1,1,0", "1,1,1,1"), relaxed, relaxed);
    }

    // MP (message passing). P0: x=1; y=1   P1: r0=y; r1=x. SC: r0 = 1 means y=1 ran, and x=1 before it, so r1 = 1:
    // 1,0 forbidden. TSO: stores become visible in program order and loads are not reordered: forbidden too.
    // ARM: MP+poonceonces, Sometimes.
    [Fact]
    public void MP_sees_the_flag_without_the_data_only_under_arm()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(() => { x.Store(1); y.Store(1); }, () => { r0 = y.Load(); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        }
        var expected = Set("0,0", "0,1", "1,1");
        Expect(Program, expected, expected, TwoBits);
    }

    // MP with smp_wmb between the writer's stores and smp_rmb between the reader's loads (both no-ops on x86).
    // ARM: MP+fencewmbonceonce+fencermbonceonce, Never. With only one of the two barriers (no LKMM file) the other
    // side still reorders, as in MP+poonceonces: Sometimes.
    private static string MpBarriers(bool wmb, bool rmb)
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0, r1 = 0;
        Litmus.Run(
            () => { x.Store(1); if (wmb) Sim.WriteBarrier(); y.Store(1); },
            () => { r0 = y.Load(); if (rmb) Sim.ReadBarrier(); r1 = x.Load(); });
        return Litmus.Show(r0, r1);
    }

    [Fact]
    public void MP_with_smp_wmb_and_smp_rmb_never_sees_the_flag_without_the_data()
    {
        var expected = Set("0,0", "0,1", "1,1");
        Expect(() => MpBarriers(wmb: true, rmb: true), expected, expected, expected);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void MP_with_one_of_smp_wmb_and_smp_rmb_still_sees_the_flag_without_the_data_under_arm(bool wmb, bool rmb)
    {
        var expected = Set("0,0", "0,1", "1,1");
        Expect(() => MpBarriers(wmb, rmb), expected, expected, TwoBits);
    }

    // MP with smp_store_release of the flag and smp_load_acquire of it. ARM: MP+pooncerelease+poacquireonce, Never.
    // Release alone or acquire alone (no LKMM file) leaves the other side unordered: Sometimes.
    private static string MpReleaseAcquire(bool release, bool acquire)
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0, r1 = 0;
        Litmus.Run(
            () => { x.Store(1); if (release) y.StoreRelease(1); else y.Store(1); },
            () => { r0 = acquire ? y.LoadAcquire() : y.Load(); r1 = x.Load(); });
        return Litmus.Show(r0, r1);
    }

    [Fact]
    public void MP_with_release_and_acquire_never_sees_the_flag_without_the_data()
    {
        var expected = Set("0,0", "0,1", "1,1");
        Expect(() => MpReleaseAcquire(release: true, acquire: true), expected, expected, expected);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void MP_with_only_release_or_only_acquire_still_sees_the_flag_without_the_data_under_arm(bool release, bool acquire)
    {
        var expected = Set("0,0", "0,1", "1,1");
        Expect(() => MpReleaseAcquire(release, acquire), expected, expected, TwoBits);
    }

    // MP+polocks: the same with the flag written and read under a lock. ARM: MP+polocks, Never.
    [Fact]
    public void MP_with_locks_never_sees_the_flag_without_the_data()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            var l = new SimLock("l");
            int r0 = 0, r1 = 0;
            Litmus.Run(
                () => { x.Store(1); l.Enter(); y.Store(1); l.Exit(); },
                () => { l.Enter(); r0 = y.Load(); l.Exit(); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        }
        var expected = Set("0,0", "0,1", "1,1");
        Expect(Program, expected, expected, expected);
    }

    // LB (load buffering). P0: r0=x; y=1   P1: r1=y; x=1. SC: 1,1 needs each load after the other thread's store,
    // which is after that thread's load: a cycle. TSO never lets a store pass an earlier load: forbidden. ARM:
    // LB+poonceonces is Sometimes in LKMM; the model is deliberately stronger (a store runs after its thread's earlier
    // loads have read), so 1,1 stays forbidden. LB+poacquireonce+pooncerelease, Never, is its own test below.
    [Fact]
    public void LB_never_reads_from_the_future()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(() => { r0 = x.Load(); y.Store(1); }, () => { r1 = y.Load(); x.Store(1); });
            return Litmus.Show(r0, r1);
        }
        var expected = Set("0,0", "0,1", "1,0");
        Expect(Program, expected, expected, expected);
    }

    // LB with an acquire load and a release store: LB+poacquireonce+pooncerelease, Never under LKMM, under every model.
    [Fact]
    public void LB_with_acquire_and_release_never_reads_from_the_future()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(() => { r0 = x.Load(); y.StoreRelease(1); }, () => { r1 = y.LoadAcquire(); x.Store(1); });
            return Litmus.Show(r0, r1);
        }
        var expected = Set("0,0", "0,1", "1,0");
        Expect(Program, expected, expected, expected);
    }

    // MP+porevlocks: the reader takes the lock around its data read, the writer stores the flag after its unlock.
    // P0: r0=y; lock; r1=x; unlock   P1: lock; x=1; unlock; y=1. LKMM: Never (r0 = 1, r1 = 0).
    [Fact]
    public void MP_with_reversed_locks_never_sees_the_flag_without_the_data()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            var l = new SimLock("l");
            int r0 = 0, r1 = 0;
            Litmus.Run(
                () => { r0 = y.Load(); l.Enter(); r1 = x.Load(); l.Exit(); },
                () => { l.Enter(); x.Store(1); l.Exit(); y.Store(1); });
            return Litmus.Show(r0, r1);
        }
        var expected = Set("0,0", "0,1", "1,1");
        Expect(Program, expected, expected, expected);
    }

    // WRC. P0: x=1   P1: r0=x; y=1   P2: r1=y; r2=x. SC: r0 = r1 = 1 orders x=1 before P2's read of y, so r2 = 1:
    // 1,1,0 forbidden, the other seven reachable. TSO is multi-copy atomic (a store becomes visible to all at
    // once): forbidden too. ARM: WRC+poonceonces+Once, Sometimes; with P1's store a release and smp_rmb in P2,
    // WRC+pooncerelease+fencermbonceonce+Once, Never (release is cumulative: it carries the x=1 P1 read).
    private static string Wrc(bool ordered)
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0, r1 = 0, r2 = 0;
        Litmus.Run(() => x.Store(1),
            () => { r0 = x.Load(); if (ordered) y.StoreRelease(1); else y.Store(1); },
            () => { r1 = y.Load(); if (ordered) Sim.ReadBarrier(); r2 = x.Load(); });
        return Litmus.Show(r0, r1, r2);
    }

    private static readonly SortedSet<string> WrcSc = Set("0,0,0", "0,0,1", "0,1,0", "0,1,1", "1,0,0", "1,0,1", "1,1,1");

    [Fact]
    public void WRC_is_causal_except_under_arm() => Expect(() => Wrc(ordered: false), WrcSc, WrcSc, Set([.. WrcSc, "1,1,0"]));

    [Fact]
    public void WRC_with_release_and_smp_rmb_is_causal_under_every_model() => Expect(() => Wrc(ordered: true), WrcSc, WrcSc, WrcSc);

    // IRIW. P0: x=1   P1: y=1   P2: r0=x; r1=y   P3: r2=y; r3=x. SC: 1,0,1,0 would need x=1 before y=1 (P2) and
    // y=1 before x=1 (P3); the other fifteen are reachable. TSO: stores are seen by everyone at once: forbidden.
    // ARM: IRIW+poonceonces+OnceOnce, Sometimes; with smp_mb between each reader's loads,
    // IRIW+fencembonceonces+OnceOnce, Never.
    private static string Iriw(bool mb)
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        Litmus.Run(() => x.Store(1), () => y.Store(1),
            () => { r0 = x.Load(); if (mb) Sim.MemoryBarrier(); r1 = y.Load(); },
            () => { r2 = y.Load(); if (mb) Sim.MemoryBarrier(); r3 = x.Load(); });
        return Litmus.Show(r0, r1, r2, r3);
    }

    private static readonly SortedSet<string> FourBits = Set(Enumerable.Range(0, 16).Select(b => Litmus.Show(b >> 3 & 1, b >> 2 & 1, b >> 1 & 1, b & 1)).ToArray());

    private static readonly SortedSet<string> IriwSc = Set(FourBits.Where(o => o != "1,0,1,0").ToArray());

    [Fact]
    public void IRIW_readers_agree_on_the_order_of_independent_writes_except_under_arm() => Expect(() => Iriw(mb: false), IriwSc, IriwSc, FourBits);

    [Fact]
    public void IRIW_with_smp_mb_in_both_readers_agrees_under_every_model() => Expect(() => Iriw(mb: true), IriwSc, IriwSc, IriwSc);

    // S. P0: x=2; y=1   P1: r0=y; x=1; outcome r0 and final x. SC: r0 = 1 puts P1's x=1 after P0's x=2, so x ends 1:
    // "1,2" forbidden. TSO keeps P0's stores in order and P1's store after its load: forbidden. ARM: S+poonceonces is
    // Sometimes in LKMM; the model is deliberately stronger (P1's store runs after its load read y=1, so after P0's
    // x=2, and joins x's coherence order last): forbidden. S+fencewmbonceonce+poacquireonce, Never, is its own test below.
    [Fact]
    public void S_orders_a_read_before_a_later_write()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0;
            Litmus.Run(() => { x.Store(2); y.Store(1); }, () => { r0 = y.Load(); x.Store(1); });
            return Litmus.Show(r0, x.Peek);
        }
        var expected = Set("0,1", "0,2", "1,1");
        Expect(Program, expected, expected, expected);
    }

    // S+fencewmbonceonce+poacquireonce: P0: x=2; smp_wmb; y=1   P1: r0=acquire(y); x=1. LKMM: Never ("1,2").
    [Fact]
    public void S_with_smp_wmb_and_acquire_orders_a_read_before_a_later_write()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0;
            Litmus.Run(() => { x.Store(2); Sim.WriteBarrier(); y.Store(1); }, () => { r0 = y.LoadAcquire(); x.Store(1); });
            return Litmus.Show(r0, x.Peek);
        }
        var expected = Set("0,1", "0,2", "1,1");
        Expect(Program, expected, expected, expected);
    }

    // R. P0: x=1; y=1   P1: y=2; r0=x; outcome final y and r0. SC: y ends 2 only if P1's store follows P0's y=1,
    // hence x=1, so r0 = 1: "2,0" forbidden. TSO: P1's y=2 waits in its buffer while r0 reads 0, then drains last:
    // allowed. With smp_mb between P1's store and load: forbidden again. ARM: R+poonceonces, Sometimes; with smp_mb in
    // both threads R+fencembonceonces, Never. With the barrier in P1 only (no LKMM file) P0's stores are unordered,
    // so P1's barrier need not see x=1: Sometimes.
    private static string R(bool mb)
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0;
        Litmus.Run(() => { x.Store(1); y.Store(1); }, () => { y.Store(2); if (mb) Sim.MemoryBarrier(); r0 = x.Load(); });
        return Litmus.Show(y.Peek, r0);
    }

    private static readonly SortedSet<string> RSc = Set("1,0", "1,1", "2,1");

    private static readonly SortedSet<string> RRelaxed = Set("1,0", "1,1", "2,0", "2,1");

    [Fact]
    public void R_reaches_2_0_under_tso_and_arm() => Expect(() => R(mb: false), RSc, RRelaxed, RRelaxed);

    [Fact]
    public void R_with_smp_mb_in_the_second_thread_forbids_2_0_under_tso_but_not_under_arm() => Expect(() => R(mb: true), RSc, RSc, RRelaxed);

    [Fact]
    public void R_with_smp_mb_in_both_threads_forbids_2_0_under_every_model()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0;
            Litmus.Run(() => { x.Store(1); Sim.MemoryBarrier(); y.Store(1); }, () => { y.Store(2); Sim.MemoryBarrier(); r0 = x.Load(); });
            return Litmus.Show(y.Peek, r0);
        }
        Expect(Program, RSc, RSc, RSc);
    }

    // 2+2W. P0: x=1; y=2   P1: y=1; x=2; outcome final x and y. SC: x ends 1 and y ends 1 would order
    // x=1 < y=2 < y=1 < x=2 < x=1: a cycle. TSO drains each buffer in order: forbidden too. ARM: LKMM's directory has
    // no 2+2W test; the architecture allows 1,1 without barriers, and the model is deliberately stronger (each store
    // joins its location's coherence order last when it runs): forbidden.
    [Fact]
    public void Two_plus_two_W_keeps_each_threads_stores_in_order()
    {
        string Program()
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            Litmus.Run(() => { x.Store(1); y.Store(2); }, () => { y.Store(1); x.Store(2); });
            return Litmus.Show(x.Peek, y.Peek);
        }
        var expected = Set("1,2", "2,1", "2,2");
        Expect(Program, expected, expected, expected);
    }

    // ISA2. P0: x=1; y=1   P1: r0=y; z=1   P2: r1=z; r2=x. SC: 1,1,0 would put x=1 before P2's read of x; the
    // other seven are reachable (1,0,0: P2 reads both before P0 runs). TSO: forbidden too. ARM: ISA2+poonceonces,
    // Sometimes; with release stores and acquire loads along the chain, ISA2+pooncerelease+poacquirerelease+poacquireonce,
    // Never.
    private static string Isa2(bool ordered)
    {
        var (x, y, z) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"), new SimAtomic(0, "z"));
        int r0 = 0, r1 = 0, r2 = 0;
        Litmus.Run(
            () => { x.Store(1); if (ordered) y.StoreRelease(1); else y.Store(1); },
            () => { r0 = ordered ? y.LoadAcquire() : y.Load(); if (ordered) z.StoreRelease(1); else z.Store(1); },
            () => { r1 = ordered ? z.LoadAcquire() : z.Load(); r2 = x.Load(); });
        return Litmus.Show(r0, r1, r2);
    }

    private static readonly SortedSet<string> Isa2Sc = Set("0,0,0", "0,0,1", "0,1,0", "0,1,1", "1,0,0", "1,0,1", "1,1,1");

    [Fact]
    public void ISA2_is_transitive_except_under_arm() => Expect(() => Isa2(ordered: false), Isa2Sc, Isa2Sc, Set([.. Isa2Sc, "1,1,0"]));

    [Fact]
    public void ISA2_with_a_release_acquire_chain_is_transitive_under_every_model() => Expect(() => Isa2(ordered: true), Isa2Sc, Isa2Sc, Isa2Sc);

    // Z6.0. P0: x=1; y=1   P1: r0=y; z=1   P2: z=2; r1=x; outcome r0, final z, r1. SC: r0 = 1 and z ending 2 put
    // x=1 < y=1 < z=1 < z=2 < P2's read of x, so r1 = 1: "1,2,0" forbidden, the other seven reachable. TSO: P2's z=2
    // waits in its buffer while r1 reads 0 and drains after z=1: allowed. With smp_mb in P2: forbidden. ARM (no LKMM
    // file for the plain form): already Sometimes with release, acquire and smp_mb
    // (Z6.0+pooncerelease+poacquirerelease+fencembonceonce), so Sometimes with less, the barrier in P2 included.
    private static string Z6(bool mb)
    {
        var (x, y, z) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"), new SimAtomic(0, "z"));
        int r0 = 0, r1 = 0;
        Litmus.Run(() => { x.Store(1); y.Store(1); }, () => { r0 = y.Load(); z.Store(1); },
            () => { z.Store(2); if (mb) Sim.MemoryBarrier(); r1 = x.Load(); });
        return Litmus.Show(r0, z.Peek, r1);
    }

    private static readonly SortedSet<string> Z6Sc = Set("0,1,0", "0,1,1", "0,2,0", "0,2,1", "1,1,0", "1,1,1", "1,2,1");

    [Fact]
    public void Z6_0_reaches_1_2_0_under_tso_and_arm() => Expect(() => Z6(mb: false), Z6Sc, Set([.. Z6Sc, "1,2,0"]), Set([.. Z6Sc, "1,2,0"]));

    [Fact]
    public void Z6_0_with_smp_mb_in_the_last_thread_forbids_1_2_0_under_tso_but_not_under_arm() =>
        Expect(() => Z6(mb: true), Z6Sc, Z6Sc, Set([.. Z6Sc, "1,2,0"]));

    // Z6.0 with release and acquire along the chain and smp_mb in P2: Z6.0+pooncerelease+poacquirerelease+fencembonceonce,
    // Sometimes in LKMM (a release-acquire chain is not ordered against a store that only follows it in coherence).
    [Fact]
    public void Z6_0_with_release_acquire_and_smp_mb_still_reaches_1_2_0_under_arm()
    {
        string Program()
        {
            var (x, y, z) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"), new SimAtomic(0, "z"));
            int r0 = 0, r1 = 0;
            Litmus.Run(() => { x.Store(1); y.StoreRelease(1); }, () => { r0 = y.LoadAcquire(); z.StoreRelease(1); },
                () => { z.Store(2); Sim.MemoryBarrier(); r1 = x.Load(); });
            return Litmus.Show(r0, z.Peek, r1);
        }
        Expect(Program, Z6Sc, Z6Sc, Set([.. Z6Sc, "1,2,0"]));
    }

    // Z6.0 with P0 and P1 under one lock: Z6.0+pooncelock+pooncelock+pombonce, Sometimes in LKMM (P2 takes no lock,
    // and unlock-lock is not a full barrier for it); with smp_mb__after_spinlock() (a full barrier) after P1's lock,
    // Z6.0+pooncelock+poonceLock+pombonce, Never. TSO: the model's lock operations are full barriers: Never.
    private static string Z6Locks(bool mbAfterLock)
    {
        var (x, y, z) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"), new SimAtomic(0, "z"));
        var l = new SimLock("l");
        int r0 = 0, r1 = 0;
        Litmus.Run(() => { l.Enter(); x.Store(1); y.Store(1); l.Exit(); },
            () => { l.Enter(); if (mbAfterLock) Sim.MemoryBarrier(); r0 = y.Load(); z.Store(1); l.Exit(); },
            () => { z.Store(2); Sim.MemoryBarrier(); r1 = x.Load(); });
        return Litmus.Show(r0, z.Peek, r1);
    }

    [Fact]
    public void Z6_0_with_locks_reaches_1_2_0_only_under_arm() => Expect(() => Z6Locks(mbAfterLock: false), Z6Sc, Z6Sc, Set([.. Z6Sc, "1,2,0"]));

    [Fact]
    public void Z6_0_with_locks_and_smp_mb_after_the_lock_forbids_1_2_0_under_every_model() => Expect(() => Z6Locks(mbAfterLock: true), Z6Sc, Z6Sc, Z6Sc);

    // CoRR. P0: x=1   P1: r0=x; r1=x. Two reads of one location never go back in coherence order: 1,0 forbidden.
    // ARM: CoRR+poonceonce+Once, Never (and CoWR, CoRW, CoWW below: their LKMM files, Never).
    [Fact]
    public void CoRR_reads_never_go_back()
    {
        string Program()
        {
            var x = new SimAtomic(0, "x");
            int r0 = 0, r1 = 0;
            Litmus.Run(() => x.Store(1), () => { r0 = x.Load(); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        }
        var expected = Set("0,0", "0,1", "1,1");
        Expect(Program, expected, expected, expected);
    }

    // CoWR. P0: x=1; r0=x   P1: x=2; outcome r0 and final x. r0 = 2 means P1's store came after P0's, so x ends 2:
    // "2,1" forbidden; under TSO P0 reads its own buffered 1 until it drains.
    [Fact]
    public void CoWR_a_read_never_sees_a_store_older_than_its_own()
    {
        string Program()
        {
            var x = new SimAtomic(0, "x");
            int r0 = 0;
            Litmus.Run(() => { x.Store(1); r0 = x.Load(); }, () => x.Store(2));
            return Litmus.Show(r0, x.Peek);
        }
        var expected = Set("1,1", "1,2", "2,2");
        Expect(Program, expected, expected, expected);
    }

    // CoRW. P0: r0=x; x=1   P1: x=2; outcome r0 and final x. r0 = 2 puts P1's store before P0's: "2,2" forbidden.
    [Fact]
    public void CoRW_a_read_never_sees_a_store_coherence_after_its_own()
    {
        string Program()
        {
            var x = new SimAtomic(0, "x");
            int r0 = 0;
            Litmus.Run(() => { r0 = x.Load(); x.Store(1); }, () => x.Store(2));
            return Litmus.Show(r0, x.Peek);
        }
        var expected = Set("0,1", "0,2", "2,1");
        Expect(Program, expected, expected, expected);
    }

    // CoWW. P0: x=1; x=2   P1: r0=x; r1=x. An observer never sees the second store before the first: "2,1" forbidden.
    [Fact]
    public void CoWW_stores_of_one_thread_are_seen_in_order()
    {
        string Program()
        {
            var x = new SimAtomic(0, "x");
            int r0 = 0, r1 = 0;
            Litmus.Run(() => { x.Store(1); x.Store(2); }, () => { r0 = x.Load(); r1 = x.Load(); });
            return Litmus.Show(r0, r1, x.Peek);
        }
        var expected = Set("0,0,2", "0,1,2", "0,2,2", "1,1,2", "1,2,2", "2,2,2");
        Expect(Program, expected, expected, expected);
    }

    // Plain SimVar accesses are buffered (tso) and read stale (arm) like atomic ones: SB on two SimVars.
    [Fact]
    public void SB_on_plain_variables_reaches_0_0_under_tso_and_arm()
    {
        string Program()
        {
            var (x, y) = (new SimVar<int>(0, "x"), new SimVar<int>(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(() => { x.Write(1); r0 = y.Read(); }, () => { y.Write(1); r1 = x.Read(); });
            return Litmus.Show(r0, r1);
        }
        Expect(Program, Set("0,1", "1,0", "1,1"), TwoBits, TwoBits);
    }

    // MP on plain variables under arm: a plain read neither acquires what it read nor is a plain write a release, so
    // the flag may be seen without the data even with smp_rmb on the reader (the writer has no smp_wmb).
    private static string MpPlain(bool rmb)
    {
        var (x, y) = (new SimVar<int>(0, "x"), new SimVar<int>(0, "y"));
        int r0 = 0, r1 = 0;
        Litmus.Run(() => { x.Write(1); y.Write(1); }, () => { r0 = y.Read(); if (rmb) Sim.ReadBarrier(); r1 = x.Read(); });
        return Litmus.Show(r0, r1);
    }

    [Theory]
    [InlineData(false), InlineData(true)]
    public void MP_on_plain_variables_sees_the_flag_without_the_data_only_under_arm(bool rmb)
    {
        var expected = Set("0,0", "0,1", "1,1");
        Expect(() => MpPlain(rmb), expected, expected, TwoBits);
    }

    // A one-entry buffer makes a thread's second store wait for its first: SB+two stores still reaches 0,0 when the
    // second store goes to the location the other thread does not read.
    [Fact]
    public void A_full_store_buffer_drains_its_oldest_store_first()
    {
        string Program()
        {
            var (x, y, z) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"), new SimAtomic(0, "z"));
            int r0 = 0, r1 = 0;
            Litmus.Run(() => { z.Store(1); x.Store(1); r0 = y.Load(); }, () => { y.Store(1); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        }
        Assert.Equal(Set("0,0", "0,1", "1,0", "1,1"), Litmus.Outcomes(MemoryModel.Tso, Program, storeBufferSize: 1));
    }

    // Under arm the same bound says how many of a location's newest stores a load may choose from: with one, every
    // load reads the newest store, and SB is sequentially consistent again.
    [Fact]
    public void Arm_with_a_staleness_bound_of_one_reads_only_the_newest_store()
    {
        var sc = Set("0,1", "1,0", "1,1");
        Assert.Equal(sc, Litmus.Outcomes(MemoryModel.Arm, () => Sb(mb: false), storeBufferSize: 1));
        Assert.Equal(TwoBits, Litmus.Outcomes(MemoryModel.Arm, () => Sb(mb: false), storeBufferSize: 2));
    }
}
