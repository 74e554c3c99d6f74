// Client-side mirror of the password policy of POST /api/auth/password (the server decides):
// at least 10 characters, not the login, not digits only.
export function passwordError(pw: string, login?: string | null): string | null {
  if (!pw) return '请输入新密码';
  if ([...pw].length < 10) return '密码至少10个字符';
  if (login && pw.toLowerCase() === login.toLowerCase()) return '密码不能与登录名相同';
  if (/^\d+$/.test(pw)) return '密码不能全为数字';
  return null;
}
