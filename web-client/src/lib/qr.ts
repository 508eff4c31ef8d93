import QRCode from 'qrcode';

/** A QR code as SVG markup (black on white, quiet zone included), for `innerHTML`. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}
