using System.Runtime.CompilerServices;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.Tests.Protocol;

public class StructSizeTests
{
    [Fact]
    public void NetlinkHeader_Is16Bytes() => Assert.Equal(16, Unsafe.SizeOf<NetlinkHeader>());

    [Fact]
    public void SockaddrNl_Is12Bytes() => Assert.Equal(12, Unsafe.SizeOf<SockaddrNl>());

    [Fact]
    public void GenericHeader_Is4Bytes() => Assert.Equal(4, Unsafe.SizeOf<GenericHeader>());

    [Fact]
    public void InterfaceInfoHeader_Is16Bytes() => Assert.Equal(16, Unsafe.SizeOf<InterfaceInfoHeader>());

    [Fact]
    public void AddressHeader_Is8Bytes() => Assert.Equal(8, Unsafe.SizeOf<AddressHeader>());

    [Fact]
    public void RouteHeader_Is12Bytes() => Assert.Equal(12, Unsafe.SizeOf<RouteHeader>());
}
