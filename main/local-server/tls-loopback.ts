// A self-signed certificate for 127.0.0.1 / localhost (valid to 2126) for the https-redirect quirk's TLS listener.
// Generated once with openssl for loopback tests only: it protects nothing, and clients trust it by passing LOOPBACK_CERT as their CA.
export const LOOPBACK_CERT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUDw6XAcA+1PswDQOWvwypBTi9mbYwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwMTA4MDgzOFoYDzIxMjYxMTA3
MDgwODM4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ78gwQ/FGaZTmE/h0qkbdsHNDIRcar644U+HYKEghZ3p3sWSKzdh80
2Sg/Ykd5ph9+7W43Vg81Ieab8NX6COoFo28wbTAdBgNVHQ4EFgQUtadzq6KJrgbD
qwS61D0j709iwj4wHwYDVR0jBBgwFoAUtadzq6KJrgbDqwS61D0j709iwj4wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAIHHuQRVWqwMxPN7uptSvHJIrmQ2AH9IA14pCv5dtqmzAiEA
nMTSxdp9opkQWN8R2/sSB53v55O2uJzIAhCzxhIDDxI=
-----END CERTIFICATE-----
`;
export const LOOPBACK_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9eo+nd1WBcFZd/98
06f9tdv4LAMUqIfW5tXYx4GsCUChRANCAAQ78gwQ/FGaZTmE/h0qkbdsHNDIRcar
644U+HYKEghZ3p3sWSKzdh802Sg/Ykd5ph9+7W43Vg81Ieab8NX6COoF
-----END PRIVATE KEY-----
`;
