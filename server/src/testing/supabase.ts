// Supabase's own example of a profile made for each new user: a SECURITY DEFINER trigger function on auth.users.

/** `public.profiles (id, username)` must exist; makes public.handle_new_user() and its trigger on auth.users. */
export const HANDLE_NEW_USER = `create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, username) values (new.id, new.raw_user_meta_data ->> 'username');
  return new;
end;
$$;
create trigger on_auth_user_created after insert on auth.users for each row execute procedure public.handle_new_user();
`;
