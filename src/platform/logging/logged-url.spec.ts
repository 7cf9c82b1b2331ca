import { loggedUrl } from './logged-url';

describe('loggedUrl', () => {
  it.each([
    ['/system/ws/v19/clientapplications/messaging/conversation/start', '/system/ws/v19/clientapplications/messaging/conversation/start'],
    ['/start?searchContactOnAttribute=email.emailAddress&sendTypingNotification=yes', '/start?searchContactOnAttribute=email.emailAddress&sendTypingNotification=yes'],
    ['/start?access_token=eyJhbGciOi.secret&anonymousCustomer=yes', '/start?access_token=…&anonymousCustomer=yes'],
    ['/oauth2/token?client_id=demo&client_secret=s3cr3t', '/oauth2/token?client_id=…&client_secret=…'],
    ['/start?email=ada%40example.com', '/start?email=…'],
    ['/start?ada%40example.com', '/start?…'],
    ['/start?eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', '/start?…'],
    ['/agents?after=12&limit=50&', '/agents?after=12&limit=50&'],
    ['/x?%E0%A4%A=1', '/x?…=…'],
    // A parameter the API reads, its name percent-encoded: the API reads it, so it is logged as sent.
    ['/configuration?%65ntrypoint=1001', '/configuration?%65ntrypoint=1001'],
  ])('%s is logged as %s', (url, logged) => {
    expect(loggedUrl(url)).toBe(logged);
  });
});
