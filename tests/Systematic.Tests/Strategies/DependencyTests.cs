using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Strategies;

namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>The dependency relation POS and DPOR share, case by case as its documentation states it.</summary>
public sealed class DependencyTests
{
    private static readonly SimAtomic X = new(0, "x"), Y = new(0, "y");
    private static readonly SimLock L1 = new("l1"), L2 = new("l2");
    private static readonly SimCondition C1 = new(L1, "c1");

    private static PendingOperation Op(OperationKind kind, object? target = null) => new(kind, target, 0);

    private static bool Dep(PendingOperation a, PendingOperation b, int ta = 1, int tb = 2)
    {
        var ab = Dependency.Dependent(ta, a, tb, b);
        Assert.Equal(ab, Dependency.Dependent(tb, b, ta, a));   // symmetric
        return ab;
    }

    [Fact]
    public void SameThread_IsAlwaysDependent() =>
        Assert.True(Dependency.Dependent(1, Op(OperationKind.Yield), 1, Op(OperationKind.Yield)));

    [Fact]
    public void VariableOperations_AreDependentOnTheSameObjectWithAWrite()
    {
        Assert.True(Dep(Op(OperationKind.VarWrite, X), Op(OperationKind.VarRead, X)));
        Assert.True(Dep(Op(OperationKind.AtomicCompareExchange, X), Op(OperationKind.AtomicLoad, X)));
        Assert.True(Dep(Op(OperationKind.AtomicAdd, X), Op(OperationKind.AtomicExchange, X)));
        Assert.True(Dep(Op(OperationKind.AtomicStore, X), Op(OperationKind.AtomicStore, X)));
        Assert.False(Dep(Op(OperationKind.VarRead, X), Op(OperationKind.AtomicLoad, X)));
        Assert.False(Dep(Op(OperationKind.VarWrite, X), Op(OperationKind.VarWrite, Y)));
    }

    [Fact]
    public void A_store_buffer_drain_is_a_write_of_its_stores_object()
    {
        Assert.True(Dep(Op(OperationKind.Drain, X), Op(OperationKind.AtomicLoad, X)));
        Assert.True(Dep(Op(OperationKind.Drain, X), Op(OperationKind.Drain, X)));
        Assert.True(Dep(Op(OperationKind.Drain, X), Op(OperationKind.VarRead, X)));
        Assert.False(Dep(Op(OperationKind.Drain, X), Op(OperationKind.AtomicLoad, Y)));
        Assert.False(Dep(Op(OperationKind.Drain, X), Op(OperationKind.LockEnter, L1)));
    }

    [Fact]
    public void FreeKinds_AreIndependentOfEverything_WhateverTheirTarget()
    {
        foreach (var free in new[] { OperationKind.Start, OperationKind.Spawn, OperationKind.Yield, OperationKind.Choose, OperationKind.Fence })
        {
            Assert.False(Dep(Op(free, X), Op(OperationKind.VarWrite, X)), free.ToString());
            Assert.False(Dep(Op(free, L1), Op(OperationKind.LockEnter, L1)), free.ToString());
        }
    }

    [Fact]
    public void OpaqueKinds_AreDependentWithEveryStepOfAnotherThread()
    {
        Assert.True(Dep(Op(OperationKind.WaitUntil, "cond"), Op(OperationKind.Yield)));
        Assert.True(Dep(Op(OperationKind.VarRead, X), Op(OperationKind.Custom, "set_pte")));
    }

    [Fact]
    public void LockAndConditionOperations_AreDependentWhenTheyShareALockOrCondition()
    {
        Assert.True(Dep(Op(OperationKind.LockEnter, L1), Op(OperationKind.LockExit, L1)));
        Assert.False(Dep(Op(OperationKind.LockEnter, L1), Op(OperationKind.LockEnter, L2)));
        Assert.True(Dep(Op(OperationKind.ConditionSignal, C1), Op(OperationKind.ConditionReacquire, L1)));
        Assert.True(Dep(Op(OperationKind.ConditionWait, C1), Op(OperationKind.ConditionBroadcast, C1)));
        Assert.False(Dep(Op(OperationKind.ConditionSignal, C1), Op(OperationKind.LockTryEnter, L2)));
        Assert.False(Dep(Op(OperationKind.LockEnter, X), Op(OperationKind.VarWrite, X)));   // a lock step and a variable step never
    }

    [Fact]
    public void AConditionTarget_SaysItTouchesItsLock_AsDporsKeyForItDoes()
    {
        Assert.Same(L1, Dependency.LockOf(Op(OperationKind.ConditionWait, C1)));
        Assert.Same(L1, Dependency.LockOf(Op(OperationKind.LockExit, L1)));
        object condition = new(), lockKey = new(), other = new();
        var key = new ConditionKey(condition, lockKey);
        Assert.Same(lockKey, Dependency.LockOf(Op(OperationKind.ConditionWait, key)));
        Assert.True(Dep(Op(OperationKind.ConditionSignal, key), Op(OperationKind.LockEnter, lockKey)));
        Assert.True(Dep(Op(OperationKind.ConditionSignal, key), Op(OperationKind.ConditionWait, new ConditionKey(condition, other))));
        Assert.False(Dep(Op(OperationKind.ConditionSignal, key), Op(OperationKind.LockEnter, other)));
    }

    [Fact]
    public void Join_IsDependentOnlyWithTheJoinedThread()
    {
        var report = SystematicTest.Run(() =>
        {
            var child = Sim.Start("child", () => { });
            child.Join();
        }, new TestOptions { Strategy = "dpor" });
        Assert.Null(report.Bug);
        Assert.Equal(1, report.Interleavings);
    }

    private sealed class JoinTarget(int id, int bufferEntity) : RuntimeThread(null!, id, "joined")
    {
        public JoinTarget Init()
        {
            BufferEntityId = bufferEntity;
            return this;
        }
    }

    [Fact]
    public void Join_IsDependentWithTheJoinedThreadsStoreBuffer_AsItWaitsForItToDrain()
    {
        var joined = new JoinTarget(3, 4).Init();
        Assert.True(Dep(Op(OperationKind.Join, joined), Op(OperationKind.Drain, X), ta: 0, tb: 4));
        Assert.True(Dep(Op(OperationKind.Join, joined), Op(OperationKind.Yield), ta: 0, tb: 3));
        Assert.False(Dep(Op(OperationKind.Join, joined), Op(OperationKind.Drain, X), ta: 0, tb: 5));
    }

    [Fact]
    public void AcquireKinds()
    {
        Assert.True(Dependency.IsBlockingAcquire(OperationKind.LockEnter));
        Assert.True(Dependency.IsBlockingAcquire(OperationKind.ConditionReacquire));
        Assert.False(Dependency.IsBlockingAcquire(OperationKind.LockTryEnter));
        Assert.False(Dependency.IsBlockingAcquire(OperationKind.LockExit));
        Assert.True(Dependency.IsAcquire(OperationKind.LockTryEnter));
        Assert.True(Dependency.IsAcquire(OperationKind.LockEnter));
        Assert.True(Dependency.IsAcquire(OperationKind.ConditionReacquire));
        Assert.False(Dependency.IsAcquire(OperationKind.ConditionWait));
    }
}
