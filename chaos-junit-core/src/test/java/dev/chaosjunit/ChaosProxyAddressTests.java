package dev.chaosjunit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ChaosProxyAddressTests {

    @Test
    void address_isResolved_andAClientCanConnectToIt() throws IOException {
        try (EchoServer echo = EchoServer.start(); ChaosProxy proxy = ChaosProxy.open("localhost", echo.port())) {
            InetSocketAddress address = proxy.address();
            assertThat(address.isUnresolved()).isFalse();
            assertThat(address.getPort()).isEqualTo(proxy.port());
            try (Socket socket = new Socket()) {
                socket.connect(address, 2_000);
                socket.setSoTimeout(2_000);
                socket.getOutputStream().write("hi".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(socket.getInputStream().readNBytes(2), StandardCharsets.UTF_8)).isEqualTo("hi");
            }
        }
    }
}
