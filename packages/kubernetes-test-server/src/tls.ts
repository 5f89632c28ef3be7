import { generate } from 'selfsigned';

/** A key and certificate in PEM. @public */
export interface TlsCertificate {
  key: string;
  cert: string;
}

/**
 * A self-signed certificate for the loopback addresses, valid for a day:
 * clients trust it through the kubeConfig's certificate-authority-data,
 * as with kind's or k3d's generated CA.
 */
export async function selfSignedCertificate(
  host: string,
): Promise<TlsCertificate> {
  const isIp = /^[\d.]+$|:/.test(host);
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    ...(host !== '127.0.0.1' && host !== 'localhost'
      ? [
          isIp
            ? { type: 7 as const, ip: host }
            : { type: 2 as const, value: host },
        ]
      : []),
  ];
  const result = await generate(
    [{ name: 'commonName', value: 'kubernetes-test-server' }],
    {
      keyType: 'ec',
      curve: 'P-256',
      notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'keyUsage',
          digitalSignature: true,
          keyCertSign: true,
          keyEncipherment: true,
        },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    },
  );
  return { key: result.private, cert: result.cert };
}
